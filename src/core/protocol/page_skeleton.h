// Reads the skeleton of a GET /api/events page, {"events":[ ... ], "lastSeq":N}, in place: the
// byte range of each event and the value of lastSeq, without parsing the events themselves.
// Private to the protocol module.
//
// Why: a long session's history reaches the client as pages of up to 1,000 events. Parsing a
// page into one nlohmann DOM and decoding each event from it costs several times what decoding
// each event's own text does (most are flat frames that the in-place reader takes, see
// flat_object.h). The skeleton is what lets decodeEventsPage hand each event's text to
// decodeGatewayMessage.
//
// Like FlatObject, it accepts only a strict SUBSET of valid pages: exactly the two members
// (either order, each once, plain keys), events an array of objects nesting at most
// maxEventDepth levels (the event's own object is level 1), lastSeq a non-negative integer of
// at most 18 digits, JSON whitespace. Anything else returns false and the caller
// takes the general path, which gives every error its code and message. The events' ranges are
// found by matching brackets outside strings; it is each event's own decoder that checks it is
// valid JSON, so a page read here is valid JSON when each of its events is.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace chat::proto::detail {

struct PageSkeleton {
  std::vector<std::string_view> events;  // each event's text, in page order (views into the page)
  int64_t lastSeq = 0;
};

bool readPageSkeleton(std::string_view page, int maxEventDepth, PageSkeleton* out);

}  // namespace chat::proto::detail
