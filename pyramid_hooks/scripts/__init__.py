"""Console scripts of ``pyramid_hooks`` (``phooks``)."""
