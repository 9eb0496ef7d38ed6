"""The learned event classifier: features, training, the shipped model."""
