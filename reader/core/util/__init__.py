"""Small helpers shared by the core: bounded network transfers, wording of counts."""
