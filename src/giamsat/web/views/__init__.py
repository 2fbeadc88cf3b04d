"""The pages of giamsat, one module per part of the menu."""
