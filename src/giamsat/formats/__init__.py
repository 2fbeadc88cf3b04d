"""Local number and date formats where Django's own fall short (FORMAT_MODULE_PATH)."""
