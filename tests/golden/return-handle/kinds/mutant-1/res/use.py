from res import readers


def everything(p, fd, url):
    return (
        readers.gz_text(p).read(),
        readers.bz2_bytes(p),
        readers.xz_bytes(p),
        readers.tar_names(p),
        readers.zip_names(p),
        readers.io_text(p),
        readers.fd_text(fd),
        readers.path_bytes(p),
        readers.page(url),
        readers.greeting("localhost", 80),
        readers.scratch_size(),
    )
