"""In-memory algorithms beyond neural networks (Hopfield, LCA, K-means, PDE): later issues."""
