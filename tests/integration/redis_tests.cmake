# Redis scale-out tests (issue 15): each test starts its own redis-server (redis_server.h) on a
# free port. Label `redis` (and `integration`, so the default and CI runs include them).
add_library(chat_redis_test_support STATIC redis_server.cpp haproxy_front.cpp)
target_include_directories(chat_redis_test_support PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# haproxy_front runs the deployment sample of README.md (HAProxy, Debian's `haproxy` package).
target_compile_definitions(chat_redis_test_support PRIVATE
                           CHAT_DEPLOY_DIR="${PROJECT_SOURCE_DIR}/src/gateway/redis/deploy")
target_link_libraries(chat_redis_test_support PUBLIC chat_itest_support chat_gateway_lib GTest::gtest)

file(GLOB CHAT_REDIS_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/redis_*_test.cpp)
add_executable(chat_redis_tests ${CHAT_REDIS_TESTS})
target_link_libraries(chat_redis_tests PRIVATE chat_redis_test_support GTest::gtest_main)
add_dependencies(chat_redis_tests chat-gateway)
# gtest_add_tests (a scan of the sources) rather than discovery: CMake 3.25's discovery cannot
# give a test two labels.
gtest_add_tests(TARGET chat_redis_tests SOURCES ${CHAT_REDIS_TESTS} TEST_LIST CHAT_REDIS_TEST_LIST)
# A test missing from the binary must fail, not pass as "0 tests ran".
set_tests_properties(${CHAT_REDIS_TEST_LIST} PROPERTIES LABELS "integration;redis" TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "\\[  PASSED  \\] 1 test\\.")
