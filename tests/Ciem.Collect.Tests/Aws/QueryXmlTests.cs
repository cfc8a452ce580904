using System.Text.Json;
using System.Xml.Linq;
using Ciem.Collect.Aws;

namespace Ciem.Collect.Tests.Aws;

public sealed class QueryXmlTests
{
    [Fact]
    public void ToJson_RoleWithLists_TheCliShape()
    {
        // Given a role as IAM's XML holds it: member lists, an empty struct, booleans and numbers, an encoded trust policy
        var result = XElement.Parse("""
            <GetAccountAuthorizationDetailsResult>
              <RoleDetailList><member>
                <RoleName>app</RoleName><MaxSessionDuration>3600</MaxSessionDuration>
                <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D</AssumeRolePolicyDocument>
                <InstanceProfileList/><RoleLastUsed/>
                <Tags><member><Key>owner</Key><Value>a&amp;b</Value></member></Tags>
                <Description/>
              </member></RoleDetailList>
              <IsTruncated>false</IsTruncated>
            </GetAccountAuthorizationDetailsResult>
            """);

        // When it is turned into JSON
        var json = JsonDocument.Parse(QueryXml.ToJson(result)).RootElement;

        // Then lists are arrays, the struct an object, the values typed and the trust policy an object
        var role = json.GetProperty("RoleDetailList")[0];
        Assert.Equal(JsonValueKind.False, json.GetProperty("IsTruncated").ValueKind);
        Assert.Equal(3600, role.GetProperty("MaxSessionDuration").GetInt32());
        Assert.Equal(JsonValueKind.Array, role.GetProperty("InstanceProfileList").ValueKind);
        Assert.Equal(JsonValueKind.Object, role.GetProperty("RoleLastUsed").ValueKind);
        Assert.Equal("a&b", role.GetProperty("Tags")[0].GetProperty("Value").GetString());
        Assert.Equal("", role.GetProperty("Description").GetString());
        Assert.Equal("2012-10-17", role.GetProperty("AssumeRolePolicyDocument").GetProperty("Version").GetString());
    }

    [Fact]
    public void ToJson_DocumentThatIsNotJson_KeptAsTextForTheReaderToReport()
    {
        // Given a policy document that does not decode to JSON
        var result = XElement.Parse("<R><UserDetailList><member><UserPolicyList><member><PolicyDocument>%7Bnot json</PolicyDocument></member></UserPolicyList></member></UserDetailList></R>");

        // When it is turned into JSON
        var json = JsonDocument.Parse(QueryXml.ToJson(result)).RootElement;

        // Then the document stays the string IAM gave
        Assert.Equal("%7Bnot json", json.GetProperty("UserDetailList")[0].GetProperty("UserPolicyList")[0].GetProperty("PolicyDocument").GetString());
    }
}
