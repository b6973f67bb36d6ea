#include "gateway/redis/redis_script.h"

namespace chat::gateway::redis {

std::vector<std::string> RedisScript::command(const char* verb, const std::string& body,
                                              const std::vector<std::string>& keysAndArgs,
                                              std::size_t keyCount) const {
  std::vector<std::string> args{verb, body, std::to_string(keyCount)};
  args.insert(args.end(), keysAndArgs.begin(), keysAndArgs.end());
  return args;
}

void RedisScript::run(RedisClient& client, const std::vector<std::string>& keysAndArgs,
                      std::size_t keyCount, RedisClient::Callback done) {
  if (sha_.empty() && !loading_) {
    loading_ = true;
    client.command({"SCRIPT", "LOAD", source_}, [this](RedisReply r) {
      loading_ = false;
      if (r.type == RedisReply::Type::String) sha_ = r.str;
    });
  }
  if (sha_.empty()) {
    client.command(command("EVAL", source_, keysAndArgs, keyCount), std::move(done));
    return;
  }
  client.command(command("EVALSHA", sha_, keysAndArgs, keyCount),
                 [this, &client, eval = command("EVAL", source_, keysAndArgs, keyCount),
                  done = std::move(done)](RedisReply r) mutable {
                   if (r.type == RedisReply::Type::Error && r.str.rfind("NOSCRIPT", 0) == 0) {
                     client.command(std::move(eval), std::move(done));
                     return;
                   }
                   done(std::move(r));
                 });
}

}  // namespace chat::gateway::redis
