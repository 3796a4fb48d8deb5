using System.Net;
using System.Net.Http.Headers;
using Shouldly;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>The dashboard's embedded files over real HTTP.</summary>
public sealed class DashboardAssetTests : IAsyncLifetime
{
    private WebApiHost _host = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await WebApiHost.StartAsync(Token);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("", "text/html", "<title>TaskOrchestrator dashboard</title>")]
    [InlineData("dashboard/dashboard.css", "text/css", ".board {")]
    [InlineData("dashboard/js/main.js", "text/javascript", "new EventStream(")]
    [InlineData("dashboard/js/stream.js", "text/javascript", "Last-Event-ID")]
    [InlineData("dashboard/favicon.svg", "image/svg+xml", "<svg")]
    public async Task Assets_AreServedWithTheirTypeAndAStrictPolicy(string path, string type, string contains)
    {
        using var response = await _host.Client.GetAsync(path, Token);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(type);
        (await response.Content.ReadAsStringAsync(Token)).ShouldContain(contains);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'none'; script-src 'self';");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
    }

    [Fact]
    public async Task Assets_WithTheirETag_Answer304()
    {
        using var first = await _host.Client.GetAsync("dashboard/js/board.js", Token);
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "dashboard/js/board.js");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var second = await _host.Client.SendAsync(request, Token);

        second.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await second.Content.ReadAsByteArrayAsync(Token)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("dashboard/nope.js")]
    [InlineData("dashboard/index.html")]
    [InlineData("dashboard/../appsettings.json")]
    public async Task Assets_ThatDoNotExist_Answer404(string path)
    {
        using var response = await _host.Client.GetAsync(path, Token);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
