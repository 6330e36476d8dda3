"""The asyncio engine: clock, event bus, due-time scheduler, paging and delivery."""
