// Per-model prices (--prices FILE), for the cost of a reply from its token usage.
// FILE is JSON: {"MODEL": {"input": USD per million input tokens, "output": USD per million
// output tokens}, ...}. A model not in the table has no known cost (never a made-up $0).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace chat::gateway {

struct ModelPrice {
  double inputPerMillion = 0;
  double outputPerMillion = 0;
};

class PriceTable {
 public:
  // Parses the file's text; nullopt and *error on anything malformed.
  static std::optional<PriceTable> parse(const std::string& json, std::string* error);

  std::optional<ModelPrice> find(const std::string& model) const;
  void set(const std::string& model, ModelPrice price) { prices_[model] = price; }

 private:
  std::map<std::string, ModelPrice> prices_;
};

}  // namespace chat::gateway
