// Placeholder translation unit for a core module that has no .cpp yet (see CMakeLists.txt).
