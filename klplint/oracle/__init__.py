"""A real kernel as the oracle: run livepatch modules in Debian's 6.1 and 6.12 kernels under qemu, observe every hook and callback call, compare with klplint's model."""
