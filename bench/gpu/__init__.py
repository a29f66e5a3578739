"""The GPU rows of issue 26: the engine and the raw CTranslate2 ceiling on the GPU, and the
GPU against the CPU (``speed.gpu_rows``)."""
