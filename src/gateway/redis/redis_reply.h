// An owned copy of a hiredis reply: the C reply is freed by hiredis when its callback returns,
// so everything past the callback sees this value type instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisReply;

namespace chat::gateway::redis {

struct RedisReply {
  enum class Type {
    Lost,     // no answer: the connection dropped (or never came up) with the command in
              // flight; whether Redis applied it is unknown, so only idempotent commands retry
    Error,    // Redis answered an error (text in `str`)
    Nil,
    Status,   // +OK and the like (text in `str`)
    Integer,
    String,   // bulk string (binary-safe, in `str`)
    Array,
  };
  Type type = Type::Lost;
  int64_t integer = 0;
  std::string str;
  std::vector<RedisReply> elements;

  static RedisReply lost(std::string why) { return RedisReply{Type::Lost, 0, std::move(why), {}}; }
  static RedisReply copyOf(const redisReply* reply);  // null -> Lost

  bool isError() const { return type == Type::Error || type == Type::Lost; }
  bool isString() const { return type == Type::String || type == Type::Status; }
  // "Error: ..." or "Lost: ..." for logs and test messages.
  std::string describeError() const;
};

// Redis hands numbers back as strings (hash fields, stream ids, script results): the value of
// a non-negative decimal of at most 18 digits, or nothing for anything else.
std::optional<int64_t> decimalOf(std::string_view text);

}  // namespace chat::gateway::redis
