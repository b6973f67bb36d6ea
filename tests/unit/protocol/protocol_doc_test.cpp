// PROTOCOL.md's message tables match the declarations in messages.h: every declared message has
// exactly one table in its direction's section, with one row per field (name, type and limits,
// presence) in declaration order, and no table documents a message that is not declared. A
// field added to a declaration and not to the document fails here, and so does the reverse.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/protocol/message_docs.h"

#ifndef CHAT_PROTOCOL_MD
#error "CHAT_PROTOCOL_MD: the path of src/core/protocol/PROTOCOL.md (tests/unit/CMakeLists.txt)"
#endif

namespace chat::proto {
namespace {

using Key = std::pair<bool, std::string>;  // (fromClient, wire type)

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The cells of a table row "| a | b | c |".
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 1;
  while (i < line.size()) {
    const std::size_t bar = line.find('|', i);
    if (bar == std::string::npos) break;
    out.push_back(trim(line.substr(i, bar - i)));
    i = bar + 1;
  }
  return out;
}

std::string unquote(const std::string& cell) {
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
    return cell.substr(1, cell.size() - 2);
  }
  return cell;
}

struct Parsed {
  std::map<Key, std::vector<FieldDoc>> tables;
  std::vector<std::string> problems;
};

// The field tables under "### `type`" headings of the three "## Messages, ..." sections, and
// of "## The session list", whose headings say their direction: "### `type` (client to
// gateway)" or "(gateway to client)".
Parsed parseProtocolMd(std::istream& in) {
  Parsed p;
  enum class Section { kOther, kClient, kGateway, kNamed } section = Section::kOther;
  bool fromClient = false;
  std::string type;
  bool inTable = false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = line.rfind("## Messages, client to gateway", 0) == 0    ? Section::kClient
                : line.rfind("## Messages, gateway to client", 0) == 0 ? Section::kGateway
                : line.rfind("## The session list", 0) == 0            ? Section::kNamed
                                                                        : Section::kOther;
      fromClient = section == Section::kClient;
      type.clear();
      inTable = false;
      continue;
    }
    if (section == Section::kOther) continue;
    if (line.rfind("### `", 0) == 0) {
      const auto end = line.find('`', 5);
      type = end == std::string::npos ? std::string() : line.substr(5, end - 5);
      inTable = false;
      if (section == Section::kNamed) {
        const bool toGateway = line.find("(client to gateway)") != std::string::npos;
        const bool toClient = line.find("(gateway to client)") != std::string::npos;
        if (toGateway == toClient) {
          p.problems.push_back("heading without its direction: " + line);
          type.clear();
        }
        fromClient = toGateway;
      }
      continue;
    }
    if (type.empty() || line.rfind("|", 0) != 0) {
      inTable = false;
      continue;
    }
    const std::vector<std::string> c = cells(line);
    if (c.size() == 3 && c[0] == "field" && c[1] == "type" && c[2] == "presence") {
      const Key key{fromClient, type};
      if (p.tables.count(key)) p.problems.push_back("two tables for " + type);
      p.tables[key];
      inTable = true;
      continue;
    }
    if (!inTable || line.rfind("|---", 0) == 0) continue;
    if (c.size() != 3) {
      p.problems.push_back("row of " + type + " without 3 cells: " + line);
      continue;
    }
    p.tables[{fromClient, type}].push_back(FieldDoc{unquote(c[0]), c[1], c[2]});
  }
  return p;
}

std::string tableOf(const std::vector<FieldDoc>& fields) {
  std::string out = "| field | type | presence |\n|---|---|---|\n";
  for (const FieldDoc& f : fields) {
    out += "| `" + f.field + "` | " + f.type + " | " + f.presence + " |\n";
  }
  return out;
}

TEST(ProtocolDoc, EveryDeclaredMessageHasItsFieldTableInProtocolMd) {
  std::ifstream file(CHAT_PROTOCOL_MD);
  ASSERT_TRUE(file) << "cannot read " << CHAT_PROTOCOL_MD;
  Parsed doc = parseProtocolMd(file);
  EXPECT_TRUE(doc.problems.empty()) << ::testing::PrintToString(doc.problems);

  const std::vector<MessageDoc> declared = messageDocs();
  ASSERT_FALSE(declared.empty());
  for (const MessageDoc& m : declared) {
    const Key key{m.fromClient, m.type};
    const auto it = doc.tables.find(key);
    const std::string where = std::string(m.fromClient ? "client" : "gateway") + " message " + m.type;
    if (it == doc.tables.end()) {
      ADD_FAILURE() << where << " has no field table in PROTOCOL.md; add:\n" << tableOf(m.fields);
      continue;
    }
    EXPECT_EQ(it->second, m.fields) << where << ": PROTOCOL.md says\n"
                                    << tableOf(it->second) << "the declaration says\n"
                                    << tableOf(m.fields);
    doc.tables.erase(it);
  }
  for (const auto& [key, rows] : doc.tables) {
    ADD_FAILURE() << "PROTOCOL.md documents " << (key.first ? "client" : "gateway")
                  << " message " << key.second << ", which messages.h does not declare";
  }
}

// The check itself: a field the document lacks, or a limit it states differently, is found.
TEST(ProtocolDoc, ParserFindsAMissingFieldAndAWrongLimit) {
  std::istringstream text(
      "## Messages, client to gateway\n\n### `chat.cancel`\n\n"
      "| field | type | presence |\n|---|---|---|\n"
      "| `id` | id, 1 to 64 bytes | required |\n\n"
      "## Messages, gateway to client: connection level\n\n### `ack`\n\n"
      "| field | type | presence |\n|---|---|---|\n"
      "| `requestId` | id, 1 to 65 bytes | required |\n");
  const Parsed doc = parseProtocolMd(text);
  ASSERT_TRUE(doc.problems.empty());
  std::map<Key, std::vector<FieldDoc>> declared;
  for (const MessageDoc& m : messageDocs()) declared[{m.fromClient, m.type}] = m.fields;
  const auto& cancel = doc.tables.at({true, "chat.cancel"});
  const auto& ack = doc.tables.at({false, "ack"});
  ASSERT_EQ(cancel.size(), 1u);
  EXPECT_NE(cancel, declared.at({true, "chat.cancel"}));  // requestId missing
  EXPECT_EQ(cancel[0], declared.at({true, "chat.cancel"})[0]);
  EXPECT_NE(ack, declared.at({false, "ack"}));  // the limit differs
}

}  // namespace
}  // namespace chat::proto
