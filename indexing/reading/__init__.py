"""Reading a review like an analyst: the case facts national analyses count and the recommendations
a report makes, read from the text the library already extracted, each traceable to its sentence."""
