"""The index pipeline: steps, registry, recipe and the build result (see :func:`dgkit.build`)."""
