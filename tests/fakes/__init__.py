"""In-process fakes of the platforms, served over real sockets on 127.0.0.1."""
