"""In-memory algorithms beyond neural networks, every matrix product read through a ``CrossbarArray``:
Hopfield associative memory (:mod:`.hopfield`) and max-cut by Hopfield networks with annealed noise
(:mod:`.maxcut`), sparse coding by LCA (:mod:`.lca`), K-means with the
``|W|^2`` row (:mod:`.kmeans`), the block DCT and convolution filters (:mod:`.signal_processing`), Poisson
and wave equations on block-tiled, bit-sliced arrays (:mod:`.pde`)."""
