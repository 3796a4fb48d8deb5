using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Core.Tests.Storage;

public sealed class SearchWordsTests
{
    [Fact]
    public void Parse_TextEndingInsideAWord_SplitsOnEverythingButLettersAndDigitsAndMarksTheLastAPrefix()
    {
        var words = SearchWords.Parse("fix the login-bug in v2.1 \"quoted\" AND/OR par");

        words.Words.ShouldBe(["fix", "the", "login", "bug", "in", "v2", "1", "quoted", "AND", "OR", "par"]);
        words.LastIsPrefix.ShouldBeTrue();
    }

    [Fact]
    public void Parse_TextEndingAfterAWord_LastWordIsNotAPrefix()
    {
        var words = SearchWords.Parse("Überprüfung läuft. ");

        words.Words.ShouldBe(["Überprüfung", "läuft"]);
        words.LastIsPrefix.ShouldBeFalse();
    }

    [Fact]
    public void Parse_NoLetterOrDigit_ThrowsInvalidNamingTheText()
    {
        var ex = Should.Throw<OrchestratorException>(() => SearchWords.Parse("*:& !"));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Field.ShouldBe("search_text");
        ex.Error.Message.ShouldContain("'*:& !'");
    }
}
