namespace Ciem.App.People;

/// <summary>What a host says when <see cref="PersonView.Compute"/> finds no person to show (lowercase, values in backticks).</summary>
public static class PersonProblems
{
    /// <param name="store">the store as messages show it (a file's full path, a database URL without its password).</param>
    public static string Message(PersonProblem problem, string store, string address) => problem switch
    {
        PersonProblem.NoStore => $"no store at `{store}`: run `ciem import directory SOURCE PATH` first",
        PersonProblem.NoDirectory =>
            $"the store at `{store}` holds no directory: run `ciem import directory identity-center|entra PATH` first",
        PersonProblem.NoPerson => $"no person in the directories has the address `{address}`",
        _ => "",
    };

    /// <summary>Whether the question is at fault (an address nobody has) rather than the store.</summary>
    public static bool IsInvalidInput(PersonProblem problem) => problem == PersonProblem.NoPerson;
}
