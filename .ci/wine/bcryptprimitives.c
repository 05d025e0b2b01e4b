/* Test-only shim for Wine 8 (Debian 12), which lacks bcryptprimitives.dll: Rust's
 * standard library (1.78+) takes its random seeds from ProcessPrng there. Windows 10
 * and 11 have the real DLL; this file is never shipped. .ci/cross.sh builds it with
 * mingw-w64 into the Wine prefix. */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
