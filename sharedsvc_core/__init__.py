"""sharedsvc_core: the store, the loaders and the figures. It knows nothing of screens."""
