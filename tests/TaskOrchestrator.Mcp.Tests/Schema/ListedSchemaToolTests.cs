using System.ComponentModel;
using System.Reflection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Shouldly;
using TaskOrchestrator.Mcp.Validation;

namespace TaskOrchestrator.Mcp.Tests.Schema;

public sealed class ListedSchemaToolTests
{
    [Fact]
    public void Apply_ToolReturningCallToolResult_ListsTheSchemaAndInvokesATwinWithout()
    {
        var original = Create(nameof(Sample.Finished));
        var schema = original.ProtocolTool.OutputSchema!.Value.GetRawText();
        var tools = new McpServerPrimitiveCollection<McpServerTool> { original };

        ListedSchemaTool.Apply(tools);

        var listed = tools.Single().ShouldBeOfType<ListedSchemaTool>();
        listed.ProtocolTool.Name.ShouldBe("sample_finished");
        listed.ProtocolTool.Description.ShouldBe("Returns a finished result.");
        listed.ProtocolTool.OutputSchema!.Value.GetRawText().ShouldBe(schema);
        listed.ProtocolTool.InputSchema.GetRawText().ShouldBe(original.ProtocolTool.InputSchema.GetRawText());
        original.ProtocolTool.OutputSchema.ShouldBeNull("the invoked twin has none, so the SDK builds no structured content of its own");
        listed.Metadata.ShouldBe(original.Metadata);
    }

    [Fact]
    public void Apply_ToolReturningAPlainObject_IsLeftAsItIs()
    {
        var original = Create(nameof(Sample.Plain));
        var tools = new McpServerPrimitiveCollection<McpServerTool> { original };

        ListedSchemaTool.Apply(tools);

        tools.Single().ShouldBeSameAs(original);
        original.ProtocolTool.OutputSchema.ShouldNotBeNull("the SDK builds this tool's structured content from what it returns");
    }

    [Fact]
    public void Apply_Twice_WrapsOnce()
    {
        var tools = new McpServerPrimitiveCollection<McpServerTool> { Create(nameof(Sample.Finished)) };
        ListedSchemaTool.Apply(tools);
        var wrapped = tools.Single();

        ListedSchemaTool.Apply(tools);

        tools.Single().ShouldBeSameAs(wrapped);
    }

    private static McpServerTool Create(string method) =>
        McpServerTool.Create(typeof(Sample).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!, (object?)null, new McpServerToolCreateOptions { UseStructuredContent = true });

    public sealed record Answer(string Value);

    public static class Sample
    {
        [McpServerTool(Name = "sample_finished", UseStructuredContent = true, OutputSchemaType = typeof(Answer)), Description("Returns a finished result.")]
        public static Task<CallToolResult> Finished() => Task.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = "done" }] });

        [McpServerTool(Name = "sample_plain", UseStructuredContent = true), Description("Returns a plain object.")]
        public static Answer Plain() => new("plain");
    }
}
