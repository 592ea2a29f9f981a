"""An organisation's emblem: the checked upload (image), saving it with its audit event (store), its page."""
