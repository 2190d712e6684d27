# Project-wide warning and sanitizer flags, applied through one interface target that every library links.
add_library(aurora_options INTERFACE)
target_compile_options(aurora_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough)
if(AURORA_WERROR)
  target_compile_options(aurora_options INTERFACE -Werror)
endif()
if(AURORA_SANITIZE)
  target_compile_options(aurora_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(aurora_options INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(aurora_options INTERFACE ${PROJECT_SOURCE_DIR}/src)
