using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.ConformanceFixture;

/// <summary>
/// The tools, prompts, resources and completions the conformance suite's scenarios call by name,
/// answered exactly as each scenario's description asks. It replaces the orchestrator's tool surface
/// (and its call filter) in the server options, so what the suite sees is this surface served by the
/// product's HTTP endpoint.
/// </summary>
internal static class FixtureSurface
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    private static readonly string Wav = Convert.ToBase64String(SilentWav());
    // The wire names, not the SDK's constants: those are marked obsolete for the 2026-07-28 revision,
    // while the scenarios run on 2025-11-25 where logging and sampling are current.
    private static readonly HashSet<string> Subscriptions = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    public static void Apply(McpServerOptions options)
    {
        options.ToolCollection = null;
        options.PromptCollection = null;
        options.ResourceCollection = null;
        options.Filters.Request.CallToolFilters.Clear();
        options.Capabilities ??= new ServerCapabilities();
        options.Capabilities.Tools = new ToolsCapability { ListChanged = false };
        options.Capabilities.Prompts = new PromptsCapability { ListChanged = false };
        options.Capabilities.Resources = new ResourcesCapability { Subscribe = true, ListChanged = false };
        options.Capabilities.Completions = new CompletionsCapability();

        var handlers = options.Handlers;
        handlers.ListToolsHandler = (_, _) => ValueTask.FromResult(As<ListToolsResult>(ToolList()));
        handlers.CallToolHandler = CallToolAsync;
        handlers.ListPromptsHandler = (_, _) => ValueTask.FromResult(As<ListPromptsResult>(PromptList()));
        handlers.GetPromptHandler = (context, _) => ValueTask.FromResult(As<GetPromptResult>(Prompt(context.Params!)));
        handlers.ListResourcesHandler = (_, _) => ValueTask.FromResult(As<ListResourcesResult>(ResourceList()));
        handlers.ListResourceTemplatesHandler = (_, _) => ValueTask.FromResult(As<ListResourceTemplatesResult>(new JsonObject
        {
            ["resourceTemplates"] = new JsonArray(new JsonObject { ["uriTemplate"] = "test://template/{id}/data", ["name"] = "template", ["description"] = "Data for an id", ["mimeType"] = "application/json" }),
        }));
        handlers.ReadResourceHandler = (context, _) => ValueTask.FromResult(As<ReadResourceResult>(Read(context.Params!.Uri)));
        handlers.CompleteHandler = (context, _) => ValueTask.FromResult(As<CompleteResult>(Complete(context.Params!)));
        handlers.SubscribeToResourcesHandler = (context, _) =>
        {
            lock (Gate)
            {
                Subscriptions.Add(context.Params!.Uri);
            }

            return ValueTask.FromResult(new EmptyResult());
        };
        handlers.UnsubscribeFromResourcesHandler = (context, _) =>
        {
            lock (Gate)
            {
                Subscriptions.Remove(context.Params!.Uri);
            }

            return ValueTask.FromResult(new EmptyResult());
        };
    }

    private static async ValueTask<CallToolResult> CallToolAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var request = context.Params!;
        var arguments = request.Arguments ?? new Dictionary<string, JsonElement>();
        JsonNode result = request.Name switch
        {
            "test_simple_text" => Content(Text("This is a simple text response for testing.")),
            "test_image_content" => Content(Image()),
            "test_audio_content" => Content(new JsonObject { ["type"] = "audio", ["data"] = Wav, ["mimeType"] = "audio/wav" }),
            "test_embedded_resource" => Content(Resource("test://embedded-resource", "text/plain", "This is an embedded resource content.")),
            "test_multiple_content_types" => Content(Text("Multiple content types test:"), Image(), Resource("test://mixed-content-resource", "application/json", """{"test":"data","value":123}""")),
            "test_error_handling" => new JsonObject { ["isError"] = true, ["content"] = new JsonArray(Text("This tool intentionally returns an error for testing")) },
            "test_tool_with_logging" => await WithLoggingAsync(server, cancellationToken),
            "test_tool_with_progress" => await WithProgressAsync(server, request.ProgressToken, cancellationToken),
            "test_sampling" => await SamplingAsync(server, Argument(arguments, "prompt"), cancellationToken),
            "test_elicitation" => await ElicitAsync(server, Argument(arguments, "message"), ElicitationSchema(), "User response", cancellationToken),
            "test_elicitation_sep1034_defaults" => await ElicitAsync(server, "Please review the defaults", DefaultsSchema(), "Elicitation completed", cancellationToken),
            "test_elicitation_sep1330_enums" => await ElicitAsync(server, "Please choose", EnumsSchema(), "Elicitation completed", cancellationToken),
            "json_schema_2020_12_tool" => Content(Text("JSON Schema 2020-12 tool called")),
            "test_reconnection" => await ReconnectionAsync(context, cancellationToken),
            _ => throw new McpProtocolException($"Unknown tool '{request.Name}'.", McpErrorCode.InvalidParams),
        };
        return As<CallToolResult>(result);
    }

    // The server-sse-polling scenario (SEP-1699) wants the POST stream closed before the result: polling
    // ends the response after an event carrying a retry hint; once the response is closed the result goes
    // to the session's event store only, and the client fetches it with GET and Last-Event-ID.
    private static async Task<JsonNode> ReconnectionAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        var ended = PostEndSignals.NextPostEnd(context.Server.SessionId!);
        await context.EnablePollingAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        await ended.WaitAsync(cancellationToken);
        return Content(Text("Reconnection test completed successfully"));
    }

    private static async Task<JsonNode> WithLoggingAsync(McpServer server, CancellationToken cancellationToken)
    {
        string[] messages = ["Tool execution started", "Tool processing data", "Tool execution completed"];
        for (int i = 0; i < messages.Length; i++)
        {
            if (i > 0)
            {
                // The scenario asks for notifications spread over the call, ~50 ms apart.
                await Task.Delay(50, cancellationToken);
            }

            await server.SendNotificationAsync("notifications/message", new JsonObject { ["level"] = "info", ["logger"] = "conformance-fixture", ["data"] = messages[i] }, McpJsonUtilities.DefaultOptions, cancellationToken);
        }

        return Content(Text("Tool with logging executed"));
    }

    private static async Task<JsonNode> WithProgressAsync(McpServer server, ProgressToken? token, CancellationToken cancellationToken)
    {
        foreach (var progress in new[] { 0, 50, 100 })
        {
            if (progress > 0)
            {
                await Task.Delay(50, cancellationToken);
            }

            if (token is { } t)
            {
                await server.NotifyProgressAsync(t, new ProgressNotificationValue { Progress = progress, Total = 100 }, cancellationToken: cancellationToken);
            }
        }

        return Content(Text("Tool with progress executed"));
    }

    private static async Task<JsonNode> SamplingAsync(McpServer server, string prompt, CancellationToken cancellationToken)
    {
        var parameters = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = Text(prompt) }),
            ["maxTokens"] = 100,
        };
        var response = await server.SendRequestAsync(new JsonRpcRequest { Method = "sampling/createMessage", Params = parameters }, cancellationToken);
        var answer = response.Result?["content"]?["text"]?.GetValue<string>() ?? response.Result?.ToJsonString() ?? "(none)";
        return Content(Text($"LLM response: {answer}"));
    }

    private static async Task<JsonNode> ElicitAsync(McpServer server, string message, JsonObject schema, string prefix, CancellationToken cancellationToken)
    {
        var parameters = new JsonObject { ["message"] = message, ["requestedSchema"] = schema };
        var response = await server.SendRequestAsync(new JsonRpcRequest { Method = RequestMethods.ElicitationCreate, Params = parameters }, cancellationToken);
        var action = response.Result?["action"]?.GetValue<string>() ?? "unknown";
        var content = response.Result?["content"]?.ToJsonString() ?? "{}";
        return Content(Text(prefix == "User response" ? $"User response: action={action}, content={content}" : $"{prefix}: action={action}, content={content}"));
    }

    private static JsonObject ElicitationSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["username"] = new JsonObject { ["type"] = "string", ["description"] = "User's response" },
            ["email"] = new JsonObject { ["type"] = "string", ["description"] = "User's email address" },
        },
        ["required"] = new JsonArray("username", "email"),
    };

    private static JsonObject DefaultsSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject { ["type"] = "string", ["default"] = "John Doe" },
            ["age"] = new JsonObject { ["type"] = "integer", ["default"] = 30 },
            ["score"] = new JsonObject { ["type"] = "number", ["default"] = 95.5 },
            ["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("active", "inactive", "pending"), ["default"] = "active" },
            ["verified"] = new JsonObject { ["type"] = "boolean", ["default"] = true },
        },
    };

    private static JsonObject EnumsSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["untitledSingle"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("option1", "option2", "option3") },
            ["titledSingle"] = new JsonObject { ["type"] = "string", ["oneOf"] = Titled("value", "Option") },
            ["legacyEnum"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("opt1", "opt2", "opt3"), ["enumNames"] = new JsonArray("Option One", "Option Two", "Option Three") },
            ["untitledMulti"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("option1", "option2", "option3") } },
            ["titledMulti"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["anyOf"] = Titled("value", "Choice") } },
        },
    };

    private static JsonArray Titled(string prefix, string noun) => new(
        new JsonObject { ["const"] = $"{prefix}1", ["title"] = $"First {noun}" },
        new JsonObject { ["const"] = $"{prefix}2", ["title"] = $"Second {noun}" },
        new JsonObject { ["const"] = $"{prefix}3", ["title"] = $"Third {noun}" });

    private static JsonObject ToolList()
    {
        JsonObject Tool(string name, string description, JsonObject? properties = null, params string[] required) => new()
        {
            ["name"] = name,
            ["description"] = description,
            ["inputSchema"] = new JsonObject { ["type"] = "object", ["properties"] = properties ?? new JsonObject(), ["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]) },
        };
        JsonObject StringProperty(string description) => new() { ["type"] = "string", ["description"] = description };
        return new JsonObject
        {
            ["tools"] = new JsonArray(
                Tool("test_simple_text", "Returns simple text"),
                Tool("test_image_content", "Returns an image"),
                Tool("test_audio_content", "Returns audio"),
                Tool("test_embedded_resource", "Returns an embedded resource"),
                Tool("test_multiple_content_types", "Returns text, an image and a resource"),
                Tool("test_tool_with_logging", "Sends three log notifications"),
                Tool("test_error_handling", "Always fails"),
                Tool("test_tool_with_progress", "Reports progress"),
                Tool("test_sampling", "Asks the client's LLM", new JsonObject { ["prompt"] = StringProperty("The prompt to send to the LLM") }, "prompt"),
                Tool("test_elicitation", "Asks the user", new JsonObject { ["message"] = StringProperty("The message to show the user") }, "message"),
                Tool("test_elicitation_sep1034_defaults", "Asks the user with defaults"),
                Tool("test_elicitation_sep1330_enums", "Asks the user with enums"),
                Tool("test_reconnection", "Closes its response stream before the result, which the client fetches with Last-Event-ID"),
                new JsonObject
                {
                    ["name"] = "json_schema_2020_12_tool",
                    ["description"] = "Tool with JSON Schema 2020-12 features",
                    ["inputSchema"] = JsonNode.Parse("""
                        {
                          "$schema": "https://json-schema.org/draft/2020-12/schema",
                          "type": "object",
                          "$defs": { "address": { "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } } },
                          "properties": { "name": { "type": "string" }, "address": { "$ref": "#/$defs/address" } },
                          "additionalProperties": false
                        }
                        """),
                }),
        };
    }

    private static JsonObject PromptList() => new()
    {
        ["prompts"] = new JsonArray(
            new JsonObject { ["name"] = "test_simple_prompt", ["description"] = "A simple prompt" },
            new JsonObject
            {
                ["name"] = "test_prompt_with_arguments",
                ["description"] = "A prompt with arguments",
                ["arguments"] = new JsonArray(
                    new JsonObject { ["name"] = "arg1", ["description"] = "First test argument", ["required"] = true },
                    new JsonObject { ["name"] = "arg2", ["description"] = "Second test argument", ["required"] = true }),
            },
            new JsonObject
            {
                ["name"] = "test_prompt_with_embedded_resource",
                ["description"] = "A prompt with an embedded resource",
                ["arguments"] = new JsonArray(new JsonObject { ["name"] = "resourceUri", ["description"] = "URI of the resource to embed", ["required"] = true }),
            },
            new JsonObject { ["name"] = "test_prompt_with_image", ["description"] = "A prompt with an image" }),
    };

    private static JsonObject Prompt(GetPromptRequestParams request)
    {
        string Arg(string name) => request.Arguments is { } a && a.TryGetValue(name, out var v) ? v.ToString() : string.Empty;
        JsonObject User(JsonObject content) => new() { ["role"] = "user", ["content"] = content };
        var messages = request.Name switch
        {
            "test_simple_prompt" => new JsonArray(User(Text("This is a simple prompt for testing."))),
            "test_prompt_with_arguments" => new JsonArray(User(Text($"Prompt with arguments: arg1='{Arg("arg1")}', arg2='{Arg("arg2")}'"))),
            "test_prompt_with_embedded_resource" => new JsonArray(User(Resource(Arg("resourceUri"), "text/plain", "Embedded resource content for testing.")), User(Text("Please process the embedded resource above."))),
            "test_prompt_with_image" => new JsonArray(User(Image()), User(Text("Please analyze the image above."))),
            _ => throw new McpProtocolException($"Unknown prompt '{request.Name}'.", McpErrorCode.InvalidParams),
        };
        return new JsonObject { ["messages"] = messages };
    }

    private static JsonObject ResourceList() => new()
    {
        ["resources"] = new JsonArray(
            new JsonObject { ["uri"] = "test://static-text", ["name"] = "static-text", ["description"] = "A static text resource", ["mimeType"] = "text/plain" },
            new JsonObject { ["uri"] = "test://static-binary", ["name"] = "static-binary", ["description"] = "A static binary resource", ["mimeType"] = "image/png" },
            new JsonObject { ["uri"] = "test://watched-resource", ["name"] = "watched-resource", ["description"] = "A resource to subscribe to", ["mimeType"] = "text/plain" }),
    };

    private static JsonObject Read(string uri)
    {
        JsonObject contents = uri switch
        {
            "test://static-text" => new JsonObject { ["uri"] = uri, ["mimeType"] = "text/plain", ["text"] = "This is the content of the static text resource." },
            "test://static-binary" => new JsonObject { ["uri"] = uri, ["mimeType"] = "image/png", ["blob"] = Png },
            "test://watched-resource" => new JsonObject { ["uri"] = uri, ["mimeType"] = "text/plain", ["text"] = "Watched resource content." },
            _ when uri.StartsWith("test://template/", StringComparison.Ordinal) && uri.EndsWith("/data", StringComparison.Ordinal) => TemplateData(uri),
            _ => throw new McpProtocolException($"Resource '{uri}' not found.", McpErrorCode.ResourceNotFound),
        };
        return new JsonObject { ["contents"] = new JsonArray(contents) };
    }

    private static JsonObject TemplateData(string uri)
    {
        var id = uri["test://template/".Length..^"/data".Length];
        var data = new JsonObject { ["id"] = id, ["templateTest"] = true, ["data"] = $"Data for ID: {id}" };
        return new JsonObject { ["uri"] = uri, ["mimeType"] = "application/json", ["text"] = data.ToJsonString() };
    }

    private static JsonObject Complete(CompleteRequestParams request)
    {
        string[] words = ["paris", "park", "party"];
        var prefix = request.Argument.Value ?? string.Empty;
        var values = words.Where(w => w.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToArray();
        return new JsonObject { ["completion"] = new JsonObject { ["values"] = new JsonArray([.. values.Select(v => (JsonNode)v)]), ["total"] = values.Length, ["hasMore"] = false } };
    }

    private static JsonObject Content(params JsonObject[] blocks) => new() { ["content"] = new JsonArray(blocks) };

    private static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    private static JsonObject Image() => new() { ["type"] = "image", ["data"] = Png, ["mimeType"] = "image/png" };

    private static JsonObject Resource(string uri, string mimeType, string text) => new()
    {
        ["type"] = "resource",
        ["resource"] = new JsonObject { ["uri"] = uri, ["mimeType"] = mimeType, ["text"] = text },
    };

    private static string Argument(IDictionary<string, JsonElement> arguments, string name) =>
        arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new McpProtocolException($"Argument '{name}' (a string) is required.", McpErrorCode.InvalidParams);

    private static T As<T>(JsonNode node) => (T)node.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T)))!;

    // A tenth of a second of 8 kHz, 8-bit mono silence, with its RIFF header.
    private static byte[] SilentWav()
    {
        const int Samples = 800;
        var bytes = new byte[44 + Samples];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 36 + Samples);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), 8_000);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), 8_000);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 8);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), Samples);
        bytes.AsSpan(44).Fill(128);
        return bytes;
    }
}
