#!/usr/bin/env bash
# Bootstrap: installs what the build needs on a fresh Debian machine, then hands over to Cake (build.cake).
#   ./build.sh --target=Sample   run the main job (a sample doing real socket work)
#   ./build.sh --target=Test     build everything and run every test
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: CPython 3.11 (the conformance host), its test suite, what NativeAOT links with, BlueZ headers, Mono.
need=()
command -v python3.11 >/dev/null || need+=(python3.11)
[ -f /usr/lib/python3.11/test/test_socket.py ] || need+=(libpython3.11-testsuite)
command -v gcc >/dev/null || need+=(gcc)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
# BlueZ headers: the native layout proof compiles sockaddr_l2/rc/hci/sco against them.
dpkg -s libbluetooth-dev >/dev/null 2>&1 || need+=(libbluetooth-dev)
# OpenSSL's headers: the TLS tests prove the error-name table and constants of IronSocket.Native/OpenSsl against them
# (the library itself, libssl3, is loaded at run time).
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
# Mono runs the unit tests' net462 build (tools/MonoTestRunner): the runtime and the class libraries the tests load.
for pkg in mono-runtime libmono-system4.0-cil libmono-system-core4.0-cil libmono-system-xml4.0-cil \
           libmono-system-numerics4.0-cil libmono-system-configuration4.0-cil libmono-security4.0-cil; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# Windows layer: mingw-w64 builds the C program that proves the Windows tables, Wine runs it and the Windows test
# runner (win-x64); libwine-dev brings Wine's own Winsock headers (a second witness for a few SDK-only names).
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
dpkg -s mingw-w64-x86-64-dev >/dev/null 2>&1 || need+=(mingw-w64-x86-64-dev)
command -v wine >/dev/null || need+=(wine)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
dpkg -s libwine-dev >/dev/null 2>&1 || need+=(libwine-dev)
# win-arm64 (and win-x64 again): clang compiles the same proof program for aarch64-w64-windows-gnu against mingw-w64's
# architecture-neutral headers (mingw-w64-common); the values are read from the object file, nothing is run.
command -v clang-14 >/dev/null || need+=(clang-14)
[ -f /usr/share/mingw-w64/include/winsock2.h ] || need+=(mingw-w64-common)
# linux-arm64: the Linux tables and layouts are proved again with Debian's cross compiler (its own glibc and kernel
# headers), the program run under qemu-user; no dpkg architecture is added.
command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || need+=(libc6-dev-arm64-cross)
command -v qemu-aarch64 >/dev/null || need+=(qemu-user)
# ... and the unit tests run there too (UnitTestsArm64): .NET's arm64 runtime needs arm64's libstdc++.
[ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libstdc++6-arm64-cross)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "build.sh: installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "build.sh: please install: sudo apt-get install ${need[*]}" >&2; exit 1
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
