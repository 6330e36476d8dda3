"""The Textual console: screens, modals and widgets."""
