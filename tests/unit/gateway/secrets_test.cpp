// Review finding 9: secrets (the generated token, session keys) come from the OS CSPRNG, with
// at least 128 bits. A user-space generator seeded once shows itself after fork(): parent and
// child draw the same "random" values. getrandom(2) does not.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>

#include "gateway/util.h"

using namespace chat::gateway;

TEST(Secrets, ParentAndForkedChildDrawDifferentBytes) {
  (void)randomHex(kSecretBytes);  // whatever a generator needs is set up before the fork
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string drawn = randomHex(kSecretBytes);
    ssize_t n = ::write(fds[1], drawn.data(), drawn.size());
    ::_exit(n == static_cast<ssize_t>(drawn.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string parent = randomHex(kSecretBytes);
  std::string child(2 * kSecretBytes, '\0');
  ssize_t got = ::read(fds[0], child.data(), child.size());
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_EQ(got, static_cast<ssize_t>(child.size()));
  EXPECT_NE(parent, child);
}

TEST(Secrets, SecretsHaveAtLeast128BitsAndDoNotRepeat) {
  EXPECT_GE(kSecretBytes * 8, 128u);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(randomHex(kSecretBytes));
  EXPECT_EQ(seen.size(), 1000u);
  unsigned char buf[64] = {};
  secureRandomBytes(buf, sizeof buf);
  int nonZero = 0;
  for (unsigned char b : buf) nonZero += b != 0;
  EXPECT_GT(nonZero, 32);  // 64 zero-initialized bytes were overwritten
}
