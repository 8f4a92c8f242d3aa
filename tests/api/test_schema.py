from django.core.management import call_command


def test_the_schema_is_valid_and_generates_without_warnings(tmp_path, db):
    # --fail-on-warn: an endpoint whose parameters or responses drf-spectacular cannot describe fails here
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi:")


def test_the_statistics_schema_says_money_is_an_integer_and_how_counts_are_rounded(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for component, field in (("StatisticsSummaryRow", "activity_budget"), ("StatisticsCooperativeYearRow", "shu"),
                             ("StatisticsAgencyRow", "budget"), ("StatisticsActivityTotalRow", "budget")):
        assert components[component]["properties"][field]["type"] == "integer", (component, field)
    assert components["StatisticsSummary"]["properties"]["count_rounding"]["type"] == "integer"
    count = components["StatisticsSummaryRow"]["properties"]["pmi_prospective"]
    assert {"type": "string", "enum": ["<5"]} in count["oneOf"] and "rounded" in count["description"]
