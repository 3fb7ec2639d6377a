// PROVGATE_API: the mark of the functions and classes that the provgate library exports.
#ifndef PROVGATE_EXPORT_H_
#define PROVGATE_EXPORT_H_

/// Marks a function or a class of the public API. The engine is compiled with hidden
/// visibility (`-fvisibility=hidden -fvisibility-inlines-hidden`), so the shared library
/// `libprovgate.so` exports what carries this mark and nothing else (a linker version script
/// also keeps out every symbol outside namespace `provgate`).
///
/// `PROVGATE_STATIC` selects the static library: the CMake target `provgate::engine` defines it
/// for the code that links it, and the mark is then empty, so that a program or a shared
/// library built with hidden visibility does not export provgate's API in turn. Building the
/// engine, and using the shared library (`provgate::provgate`), leave it undefined. Compilers
/// other than GCC and Clang get an empty mark.
#if defined(PROVGATE_STATIC)
#define PROVGATE_API
#elif defined(__GNUC__) || defined(__clang__)
#define PROVGATE_API [[gnu::visibility("default")]]
#else
#define PROVGATE_API
#endif

#endif  // PROVGATE_EXPORT_H_
