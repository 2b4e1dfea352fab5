"""Drives `agents serve` with clients nobody in this repository wrote: the official `openai` Python package and the
OpenAI Agents SDK for Python (with `agents serve` as its model provider). The fake model server behind it echoes the
last user message. Prints one line per check; exits 1 on the first failure.

    python openai_clients.py BASE_URL API_KEY
"""

import asyncio
import sys

import openai
from openai import OpenAI, AsyncOpenAI

base_url, api_key = sys.argv[1], sys.argv[2]
client = OpenAI(base_url=base_url, api_key=api_key, max_retries=0)


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}: {detail}", flush=True)
        sys.exit(1)
    print(f"ok {name}", flush=True)


# The official library: models, a chat, a streamed chat, errors.
ids = [model.id for model in client.models.list()]
check("models.list names the agents", "math" in ids and "creative" in ids, ids)

completion = client.chat.completions.create(model="creative", messages=[{"role": "user", "content": "hello there"}])
check("chat.completions.create answers", completion.choices[0].message.content == "hello there",
      completion.choices[0].message.content)
check("usage is reported", completion.usage is not None and completion.usage.total_tokens > 0, completion.usage)
check("agent_run extension field is kept", (completion.model_extra or {}).get("agent_run", {}).get("agent") == "creative",
      completion.model_extra)

stream = client.chat.completions.create(model="creative", messages=[{"role": "user", "content": "stream me please"}],
                                        stream=True, stream_options={"include_usage": True})
pieces, usage = [], None
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        pieces.append(chunk.choices[0].delta.content)
    if chunk.usage:
        usage = chunk.usage
check("a streamed chat gives the text in pieces", "".join(pieces) == "stream me please", pieces)
check("a streamed chat ends with usage", usage is not None and usage.total_tokens > 0, usage)

try:
    client.chat.completions.create(model="no-such-agent", messages=[{"role": "user", "content": "hi"}])
    check("an unknown agent is an error", False, "no error raised")
except openai.NotFoundError as error:
    check("an unknown agent is NotFoundError (404)", error.status_code == 404 and "math" in str(error), error)

try:
    OpenAI(base_url=base_url, api_key="wrong-key", max_retries=0).models.list()
    check("a wrong key is an error", False, "no error raised")
except openai.AuthenticationError as error:
    check("a wrong key is AuthenticationError (401)", error.status_code == 401, error)

try:
    client.chat.completions.create(model="creative", messages=[{"role": "user", "content": "x"}], n=3)
    check("n=3 is an error", False, "no error raised")
except openai.BadRequestError as error:
    check("n=3 is BadRequestError (400) naming the parameter", error.status_code == 400 and "'n'" in str(error), error)

# The OpenAI Agents SDK for Python, with `agents serve` as its model provider.
from agents import Agent, OpenAIChatCompletionsModel, Runner, set_tracing_disabled  # noqa: E402

set_tracing_disabled(True)


async def agents_sdk():
    provider = AsyncOpenAI(base_url=base_url, api_key=api_key, max_retries=0)
    agent = Agent(name="Relay", instructions="Answer briefly.",
                  model=OpenAIChatCompletionsModel(model="creative", openai_client=provider))
    result = await Runner.run(agent, "a question for the served agent")
    check("the Agents SDK runs an agent on agents serve", result.final_output == "a question for the served agent",
          result.final_output)
    streamed = Runner.run_streamed(agent, "streamed through the SDK")
    async for _ in streamed.stream_events():
        pass
    check("the Agents SDK streams from agents serve", streamed.final_output == "streamed through the SDK",
          streamed.final_output)


asyncio.run(agents_sdk())
print("all checks passed", flush=True)
