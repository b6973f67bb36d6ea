#include "gateway/price_table.h"

#include <nlohmann/json.hpp>

namespace chat::gateway {

std::optional<PriceTable> PriceTable::parse(const std::string& json, std::string* error) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) {
    *error = "the price table is not a JSON object";
    return std::nullopt;
  }
  PriceTable table;
  for (const auto& [model, price] : j.items()) {
    auto in = price.is_object() ? price.find("input") : price.end();
    auto out = price.is_object() ? price.find("output") : price.end();
    if (!price.is_object() || in == price.end() || out == price.end() || !in->is_number() ||
        !out->is_number() || in->get<double>() < 0 || out->get<double>() < 0) {
      *error = "price of \"" + model + "\": expected {\"input\": N, \"output\": N} (USD per million tokens)";
      return std::nullopt;
    }
    table.prices_[model] = ModelPrice{in->get<double>(), out->get<double>()};
  }
  return table;
}

std::optional<ModelPrice> PriceTable::find(const std::string& model) const {
  auto it = prices_.find(model);
  if (it == prices_.end()) return std::nullopt;
  return it->second;
}

}  // namespace chat::gateway
