// Server-sent events (the text/event-stream format) as OpenAI-compatible servers send them,
// parsed from bytes as they arrive. Pure: no I/O, so every shape is unit tested.
//
// Lines end with CRLF, LF or CR (a CR at the end of one read and the LF at the start of the
// next are one line end). `data:` with or without the space after the colon; several data
// lines of one event are joined with "\n"; lines starting with ':' are comments (keep-alives);
// other fields (event:, id:, retry:) are ignored; a blank line ends the event. An event with
// no data line is not reported. Events split across reads anywhere (even inside a CRLF) come
// out whole.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chat::gateway {

class SseParser {
 public:
  // Feeds the next bytes; appends the data of every event they complete to `out`.
  void feed(std::string_view bytes, std::vector<std::string>& out);

  // Bytes buffered in an unfinished line (a server that never ends its lines is cut off by the
  // caller when this grows past its limit).
  std::size_t pendingBytes() const { return line_.size() + data_.size(); }

 private:
  void endLine(std::vector<std::string>& out);

  std::string line_;       // the current, unfinished line
  std::string data_;       // the data lines of the current event, joined
  bool hasData_ = false;
  bool afterCR_ = false;   // the last byte was a CR: an LF right after it ends nothing more
};

}  // namespace chat::gateway
