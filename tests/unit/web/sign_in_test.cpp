// The sign-in panel's decisions: what an entry is (token or PIN), which key submits, and how the
// panel follows the connection through a refusal, a submission, another refusal and a success.
#include <gtest/gtest.h>

#include "page/sign_in.h"

namespace chat::web {
namespace {

net::Status statusIn(net::Phase phase) {
  net::Status s;
  s.phase = phase;
  s.health = phase == net::Phase::Live ? net::Health::Full : net::Health::Disconnected;
  if (phase == net::Phase::Unauthorized) s.lastError = "unauthorized";
  return s;
}

TEST(SignInEntry, DigitsArePinsAndEverythingElseIsATokenTrimmed) {
  EXPECT_EQ(credentialsFromEntry("1234").pin, "1234");
  EXPECT_EQ(credentialsFromEntry("1234").token, "");
  EXPECT_EQ(credentialsFromEntry("  987654 \n").pin, "987654");
  EXPECT_EQ(credentialsFromEntry("123456789012").pin, "123456789012");
  // Longer digit strings, or anything with other characters, are pasted tokens.
  EXPECT_EQ(credentialsFromEntry("1234567890123").token, "1234567890123");
  EXPECT_EQ(credentialsFromEntry("3f9a0c11d2e4b5a6978877665544aa01\n").token,
            "3f9a0c11d2e4b5a6978877665544aa01");
  EXPECT_EQ(credentialsFromEntry("12 34").token, "12 34");  // inner spaces are kept
  EXPECT_TRUE(credentialsFromEntry("").empty());
  EXPECT_TRUE(credentialsFromEntry(" \t\r\n ").empty());
  // Odd bytes are just a token: the gateway decides.
  EXPECT_EQ(credentialsFromEntry(std::string("\xFF\x00x", 3)).token, std::string("\xFF\x00x", 3));
}

TEST(SignInKeys, EnterSubmitsExceptDuringAnImeComposition) {
  EXPECT_EQ(signInKeyAction("Enter", false, 13), SignInKeyAction::Submit);
  EXPECT_EQ(signInKeyAction("Enter", true, 13), SignInKeyAction::None);
  EXPECT_EQ(signInKeyAction("Enter", false, 229), SignInKeyAction::None);
  EXPECT_EQ(signInKeyAction("a", false, 65), SignInKeyAction::None);
  EXPECT_EQ(signInKeyAction("Tab", false, 9), SignInKeyAction::None);
  EXPECT_EQ(signInKeyAction("", false, 0), SignInKeyAction::None);
}

TEST(SignInFlow, HiddenWhileTheConnectionIsFineOrMerelyDown) {
  SignInFlow f(true);
  for (net::Phase p : {net::Phase::Idle, net::Phase::Connecting, net::Phase::Authenticating, net::Phase::Resuming,
                       net::Phase::Live, net::Phase::Waiting}) {
    f.noteStatus(statusIn(p));
    EXPECT_FALSE(f.visible()) << net::phaseName(p);
    EXPECT_EQ(f.message(), "");
  }
  EXPECT_FALSE(f.takeFocusRequest());
  EXPECT_TRUE(f.submit("secret").empty()) << "no panel, nothing to submit";
}

TEST(SignInFlow, RefusedPageCredentialsThenAWrongThenTheRightEntry) {
  SignInFlow f(/*pageHadCredentials=*/true);
  f.noteStatus(statusIn(net::Phase::Authenticating));
  f.noteStatus(statusIn(net::Phase::Unauthorized));
  ASSERT_TRUE(f.visible());
  EXPECT_FALSE(f.busy());
  EXPECT_TRUE(f.error());
  EXPECT_NE(f.message().find("did not accept this page's token"), std::string::npos);
  EXPECT_TRUE(f.takeFocusRequest());
  EXPECT_FALSE(f.takeFocusRequest()) << "once per appearance";
  EXPECT_FALSE(f.takeRejection()) << "nothing was submitted yet";

  // A blank entry does nothing.
  EXPECT_TRUE(f.submit("  ").empty());
  EXPECT_FALSE(f.busy());

  // A wrong token: waiting, then refused again.
  const Credentials wrong = f.submit("wrong-token");
  EXPECT_EQ(wrong.token, "wrong-token");
  EXPECT_TRUE(f.visible());
  EXPECT_TRUE(f.busy());
  EXPECT_FALSE(f.error());
  EXPECT_EQ(f.message(), "Signing in\xE2\x80\xA6");
  EXPECT_TRUE(f.submit("again").empty()) << "one answer at a time";
  f.noteStatus(statusIn(net::Phase::Connecting));
  f.noteStatus(statusIn(net::Phase::Authenticating));
  EXPECT_TRUE(f.busy());
  EXPECT_FALSE(f.takeFocusRequest()) << "the panel stayed: no focus move while waiting";
  f.noteStatus(statusIn(net::Phase::Unauthorized));
  EXPECT_TRUE(f.visible());
  EXPECT_FALSE(f.busy());
  EXPECT_TRUE(f.error());
  EXPECT_NE(f.message().find("not accepted"), std::string::npos);
  EXPECT_TRUE(f.takeFocusRequest()) << "back into the field to try again";
  EXPECT_TRUE(f.takeRejection());
  EXPECT_FALSE(f.takeRejection());

  // The right PIN: accepted once the gateway said auth.ok (resuming), then live.
  const Credentials right = f.submit("4321");
  EXPECT_EQ(right.pin, "4321");
  EXPECT_EQ(right.token, "");
  f.noteStatus(statusIn(net::Phase::Resuming));
  EXPECT_FALSE(f.visible());
  f.noteStatus(statusIn(net::Phase::Live));
  EXPECT_FALSE(f.visible());
  EXPECT_FALSE(f.error());

  // Refused later (the token was revoked): the page's-credentials message, not "not accepted".
  f.noteStatus(statusIn(net::Phase::Unauthorized));
  EXPECT_TRUE(f.visible());
  EXPECT_NE(f.message().find("did not accept"), std::string::npos);
  EXPECT_TRUE(f.takeFocusRequest());
}

TEST(SignInFlow, NoCredentialsAsksWithoutCallingItAnError) {
  SignInFlow f(/*pageHadCredentials=*/false);
  f.noteStatus(statusIn(net::Phase::Unauthorized));
  ASSERT_TRUE(f.visible());
  EXPECT_FALSE(f.error());
  EXPECT_NE(f.message().find("needs a token or PIN"), std::string::npos);
}

TEST(SignInFlow, ANetworkFailureAfterSubmittingHidesThePanelUntilARefusal) {
  SignInFlow f(false);
  f.noteStatus(statusIn(net::Phase::Unauthorized));
  EXPECT_TRUE(f.takeFocusRequest());
  ASSERT_FALSE(f.submit("tok").empty());
  f.noteStatus(statusIn(net::Phase::Waiting));  // the gateway went away meanwhile
  EXPECT_FALSE(f.visible()) << "the pill's countdown says what happens";
  for (int retry = 0; retry < 3; ++retry) {
    f.noteStatus(statusIn(net::Phase::Connecting));
    EXPECT_FALSE(f.visible()) << "no blinking panel with every retry";
    f.noteStatus(statusIn(net::Phase::Waiting));
  }
  f.noteStatus(statusIn(net::Phase::Authenticating));
  f.noteStatus(statusIn(net::Phase::Unauthorized));  // the gateway is back and refuses the entry
  ASSERT_TRUE(f.visible());
  EXPECT_NE(f.message().find("not accepted"), std::string::npos);
  EXPECT_TRUE(f.takeRejection());
  EXPECT_TRUE(f.takeFocusRequest());
}

TEST(SignInFlow, StaysUnauthorizedAcrossManyStatusUpdatesWithoutRepeatingItself) {
  SignInFlow f(true);
  f.noteStatus(statusIn(net::Phase::Unauthorized));
  EXPECT_TRUE(f.takeFocusRequest());
  for (int i = 0; i < 10; ++i) f.noteStatus(statusIn(net::Phase::Unauthorized));
  EXPECT_FALSE(f.takeFocusRequest()) << "the user may be typing: focus is not moved again";
  EXPECT_FALSE(f.takeRejection());
}

}  // namespace
}  // namespace chat::web
