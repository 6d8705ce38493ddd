"""The names a fuzzer call's source may use besides the modules and the fixture: the hostile argument types.

fuzz_socket.py executes this file into the namespace of every call (fuzz_ssl.py's calls too), and a regression test
that replays a call's finding can run it first to have the same names.
"""
import array, gc, os, struct, sys, errno as _errno
class Idx:
    def __init__(self, v): self.v = v
    def __index__(self): return self.v
    def __repr__(self): return "Idx(%r)" % self.v
class BadIdx:
    def __index__(self): raise ZeroDivisionError("__index__ raised")
class BigIdx:
    def __index__(self): return 2**100
# subclasses of the built-in types: messages must name them, not their base
class IntSub(int): pass
class FloatSub(float): pass
class StrSub(str): pass
class BytesSub(bytes): pass
class TupleSub(tuple): pass
class ListSub(list): pass
class FloatLike:
    def __float__(self): return 0.5
class BadStr(str):
    def __str__(self): raise ZeroDivisionError("__str__ raised")
class NotIter:
    def __iter__(self): raise ZeroDivisionError("__iter__ raised")
class Path:
    def __init__(self, p): self.p = p
    def __fspath__(self): return self.p
class PathB(Path):
    def __fspath__(self): return os.fsencode(self.p)
class BadPath:
    def __fspath__(self): raise ZeroDivisionError("__fspath__ raised")
def names(it):   # one string, compared whole (a described list stops at 40 items)
    return " ".join(sorted(it))
def released():
    m = memoryview(b"abcd"); m.release(); return m
def released_w():
    m = memoryview(bytearray(4)); m.release(); return m
