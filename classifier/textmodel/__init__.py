"""The text model: TF-IDF features in numpy, the model type, its folder on disk, the scikit-learn bridge."""
