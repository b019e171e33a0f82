#include "api/resources/action_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace actiond::api {
namespace {

service::ActionRecord Record(int64_t id, std::string name) {
  service::ActionRecord r;
  r.id = id;
  r.team_id = 1;
  r.name = std::move(name);
  r.created_at = "2024-03-18T00:00:00.000Z";
  return r;
}

TEST(ActionJsonTest, ListHasCountLinksAndRawResults) {
  PageLinks links;
  links.next = "http://h/api/projects/1/actions/?limit=1&offset=1";
  const std::string body = ActionListJson(2, links, {Record(1, "a")});
  EXPECT_EQ(body, R"({"count":2,"next":"http://h/api/projects/1/actions/?limit=1&offset=1",)"
                  R"("previous":null,"results":[)" +
                      service::EncodeActionRecord(Record(1, "a")) + "]}");
}

TEST(ActionJsonTest, PeopleCountIsTheNumberOnThePage) {
  service::Person p;
  p.uuid = "0190a1b2-0000-7000-8000-000000000001";
  p.id = 4;
  p.created_at = "2024-03-18T00:00:00.000Z";
  p.distinct_ids = {"d1"};
  const std::string body = ActionPeopleJson({p, p}, PageLinks{});
  EXPECT_NE(body.find(R"(],"count":2}],"next":null,"previous":null})"), std::string::npos) << body;
  EXPECT_EQ(body.rfind(R"({"results":[{"people":[{"id":"0190a1b2-)", 0), 0u) << body;
}

TEST(ActionJsonTest, CsvColumnsAreTheSortedUnionOfFlattenedPaths) {
  auto csv = JsonRowsToCsv({R"({"b":1,"a":{"x":"p,q"}})", R"({"c":[true,null],"b":"say \"hi\""})"});
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv,
            "a.x,b,c.0,c.1\r\n"
            "\"p,q\",1,,\r\n"
            ",\"say \"\"hi\"\"\",True,\r\n");
}

TEST(ActionJsonTest, CsvOfNoRowsIsEmpty) {
  auto csv = JsonRowsToCsv({});
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv, "");
}

TEST(ActionJsonTest, ActionCsvFlattensSteps) {
  service::ActionRecord r = Record(3, "n");
  engine::ActionStep step;
  step.id = "9";
  step.event = "buy";
  r.steps.push_back(step);
  auto csv = ActionListCsv({r});
  ASSERT_TRUE(csv.ok());
  const std::string header = csv->substr(0, csv->find("\r\n"));
  EXPECT_NE(header.find(",steps.0.event,"), std::string::npos) << header;
  EXPECT_NE(header.find(",steps.0.url_matching,"), std::string::npos) << header;
  EXPECT_EQ(header.find("tags"), std::string::npos) << header;  // empty list: no column
}

}  // namespace
}  // namespace actiond::api
