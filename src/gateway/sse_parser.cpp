#include "gateway/sse_parser.h"

namespace chat::gateway {

void SseParser::feed(std::string_view bytes, std::vector<std::string>& out) {
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  if (afterCR_ && n > 0 && bytes[0] == '\n') i = 1;  // the LF of a CRLF split across reads
  afterCR_ = false;
  while (i < n) {
    // Copy up to the next line end in one go (the hot path: long data lines).
    std::size_t end = i;
    while (end < n && bytes[end] != '\n' && bytes[end] != '\r') ++end;
    line_.append(bytes.data() + i, end - i);
    if (end == n) break;
    const bool cr = bytes[end] == '\r';
    i = end + 1;
    if (cr) {
      if (i < n) {
        if (bytes[i] == '\n') ++i;
      } else {
        afterCR_ = true;
      }
    }
    endLine(out);
  }
}

void SseParser::endLine(std::vector<std::string>& out) {
  if (line_.empty()) {  // a blank line: the event is complete
    if (hasData_) out.push_back(std::move(data_));
    data_.clear();
    hasData_ = false;
    return;
  }
  if (line_[0] == ':') {  // a comment (keep-alive)
    line_.clear();
    return;
  }
  std::string_view line(line_);
  std::string_view field = line;
  std::string_view value;
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (hasData_) data_.push_back('\n');
    data_.append(value.data(), value.size());
    hasData_ = true;
  }
  line_.clear();
}

}  // namespace chat::gateway
