"""What tests across the apps share."""


def body(response) -> bytes:
    """A response's whole body, whether written at once, streamed or sent from a file (a
    streamed body can be read once)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
