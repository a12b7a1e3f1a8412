// Compiled only to give the shared plugin precompiled header a home.
