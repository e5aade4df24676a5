/* Common part of gdchaos's CUDA 13 forwarding shims: resolve a symbol of the CUDA 13 library
 * (dlopen by soname, or the absolute path in the environment variable), once per function. */
#include <dlfcn.h>
#include <stdlib.h>

static void *shim_target(const char *env, const char *soname) {
    static void *lib;
    if (!lib) {
        const char *path = getenv(env);
        lib = dlopen(path && *path ? path : soname, RTLD_NOW | RTLD_LOCAL);
    }
    return lib;
}

/* FORWARD(ret, name, failure, (params), (args)): defines name(params) calling the CUDA 13 name(args),
 * returning `failure` when the library or the symbol is missing. */
#define FORWARD(ret, name, failure, params, args)                          \
    ret name params {                                                      \
        static ret (*f) params;                                            \
        if (!f) {                                                          \
            void *lib = shim_target(SHIM_ENV, SHIM_TARGET);                \
            if (lib) f = (ret (*) params) dlsym(lib, #name);               \
        }                                                                  \
        return f ? f args : failure;                                       \
    }
