"""kyoten: the platform for regional industry–academia–government joint research hubs."""

__version__ = "0.1.0"
