"""Drives `semsearch mcp` with the official MCP Python SDK (PyPI `mcp`), as a real client would.

Usage: python mcp_python_client.py SEMSEARCH_BINARY DATABASE
Prints one line per step and exits non-zero on the first failure. In mode="auto" the client
probes `server/discover` first and falls back to the initialize handshake; it validates every
tool result against the tool's outputSchema.
"""
import asyncio
import sys

from mcp import Client, StdioServerParameters


async def main(binary: str, database: str) -> None:
    params = StdioServerParameters(command=binary, args=["mcp", "--db", database])
    async with Client(params, mode="auto") as client:
        tools = await client.list_tools()
        names = sorted(tool.name for tool in tools.tools)
        assert names == ["search", "status"], names
        print("tools:", ", ".join(names))

        result = await client.call_tool("search", {"query": "which river flows to the north sea", "limit": 3})
        assert not result.is_error, result
        hits = result.structured_content["results"]
        assert len(hits) == 3 and hits[0]["path"].endswith("rivers.md"), hits
        print("search:", hits[0]["path"], f'{hits[0]["line_start"]}-{hits[0]["line_end"]}', hits[0]["score"])

        result = await client.call_tool("search", {"query": "x", "limit": 0})
        assert result.is_error, result
        print("bad limit:", result.content[0].text)

        result = await client.call_tool("status", {})
        assert not result.is_error and result.structured_content["files"] == 5, result
        print("status:", result.structured_content["files"], "files, changed", result.structured_content["changed_files"])
    print("closed cleanly")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
