using System.Text;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// Free search text as the words every backend searches for: each run of letters and digits is a word
/// that must match, and the last one also matches as a prefix when the text ends inside it, so that
/// search-as-you-type works. Only letters and digits survive, so no search syntax is ever interpreted.
/// </summary>
internal sealed class SearchWords
{
    private SearchWords(IReadOnlyList<string> words, bool lastIsPrefix)
    {
        Words = words;
        LastIsPrefix = lastIsPrefix;
    }

    /// <summary>The words, in the order they appear; never empty.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>True when the text ended inside the last word, so that it matches as a prefix.</summary>
    public bool LastIsPrefix { get; }

    /// <summary>The words of <paramref name="text"/>; refuses text without a letter or digit.</summary>
    public static SearchWords Parse(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        bool lastIsPrefix = current.Length > 0;
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        if (words.Count == 0)
        {
            throw Fail.Invalid("search_text", $"The search text '{text}' contains no letters or digits to search for.", "Search for one or more words from task titles or descriptions.");
        }

        return new SearchWords(words, lastIsPrefix);
    }
}
