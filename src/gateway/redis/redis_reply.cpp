#include "gateway/redis/redis_reply.h"

#include <hiredis/hiredis.h>

namespace chat::gateway::redis {

RedisReply RedisReply::copyOf(const redisReply* r) {
  if (r == nullptr) return lost("connection closed before the answer");
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_ERROR:
      out.type = Type::Error;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_NIL:
      out.type = Type::Nil;
      break;
    case REDIS_REPLY_STATUS:
      out.type = Type::Status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Type::Integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Type::String;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Type::Array;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(copyOf(r->element[i]));
      break;
    default:  // a type this hiredis does not have (RESP3): treat it as an error, never crash
      out.type = Type::Error;
      out.str = "unsupported reply type " + std::to_string(r->type);
      break;
  }
  return out;
}

std::string RedisReply::describeError() const {
  if (type == Type::Lost) return "Lost: " + str;
  if (type == Type::Error) return "Error: " + str;
  return "not an error";
}

std::optional<int64_t> decimalOf(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace chat::gateway::redis
