/* libnvrtc.so.12 (soname and ELF version node, see nvrtc12.map) forwarding the NVRTC calls
 * gdchaos makes (through JCuda's JNvrtc) to CUDA 13's libnvrtc.so.13 (or $GDCHAOS_NVRTC13), so
 * that libJNvrtc loads on a machine with only CUDA 13. These functions have the same signatures
 * in NVRTC 12 and 13. Any other NVRTC function stays unresolved: calling it would abort the
 * process, and gdchaos never does. Unverified on a GPU. */
#include <stddef.h>
#define SHIM_ENV "GDCHAOS_NVRTC13"
#define SHIM_TARGET "libnvrtc.so.13"
#include "shim.h"

#define FAILED 8 /* NVRTC_ERROR_BUILTIN_OPERATION_FAILURE */
typedef void *program_t;

FORWARD(int, nvrtcVersion, FAILED, (int *major, int *minor), (major, minor))
FORWARD(int, nvrtcGetNumSupportedArchs, FAILED, (int *n), (n))
FORWARD(int, nvrtcGetSupportedArchs, FAILED, (int *archs), (archs))
FORWARD(int, nvrtcCreateProgram, FAILED,
        (program_t *p, const char *src, const char *name, int n, const char *const *headers,
         const char *const *includeNames), (p, src, name, n, headers, includeNames))
FORWARD(int, nvrtcDestroyProgram, FAILED, (program_t *p), (p))
FORWARD(int, nvrtcCompileProgram, FAILED, (program_t p, int n, const char *const *options), (p, n, options))
FORWARD(int, nvrtcGetProgramLogSize, FAILED, (program_t p, size_t *size), (p, size))
FORWARD(int, nvrtcGetProgramLog, FAILED, (program_t p, char *log), (p, log))
FORWARD(int, nvrtcGetPTXSize, FAILED, (program_t p, size_t *size), (p, size))
FORWARD(int, nvrtcGetPTX, FAILED, (program_t p, char *ptx), (p, ptx))
FORWARD(int, nvrtcGetCUBINSize, FAILED, (program_t p, size_t *size), (p, size))
FORWARD(int, nvrtcGetCUBIN, FAILED, (program_t p, char *cubin), (p, cubin))
FORWARD(const char *, nvrtcGetErrorString, "NVRTC_ERROR (libnvrtc.so.13 not loaded)", (int result), (result))
