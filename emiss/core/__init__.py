"""The core: the one unit registry, frozen inputs and results, factors, distributions and the arithmetic."""
