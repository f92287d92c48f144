"""Questions asked of the estimate: solve, limits and permits, uncertainty, comparisons, clusters, published claims."""
