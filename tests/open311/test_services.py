"""Discovery, the service list and service definitions, in XML and JSON."""

from __future__ import annotations

import pytest

from tests.open311.conftest import BASE, errors_of, json_of, xml_of

STREET_REPORTS = {"fly-tipping", "graffiti", "abandoned-vehicle", "litter", "dog-fouling",
                  "dead-animal", "potholes", "street-lights"}


def test_discovery_names_the_georeport_endpoint_in_xml_and_json(client, council):
    root = xml_of(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    for name in ("changeset", "contact", "key_service"):
        assert root.findtext(name)
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2/"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml",
                                                                    "application/json"]
    body = json_of(client.get(BASE + "discovery.json"))
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2/"
    assert body["changeset"] == root.findtext("changeset")


def test_every_street_report_service_is_listed_and_nothing_else(client, council):
    root = xml_of(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert {s.findtext("service_code") for s in services} == STREET_REPORTS
    fly = next(s for s in services if s.findtext("service_code") == "fly-tipping")
    assert fly.findtext("service_name") == "Report fly-tipping"
    assert fly.findtext("description") == "Rubbish dumped on land or the roadside."
    assert fly.findtext("metadata") == "true"
    assert fly.findtext("type") == "realtime"
    assert fly.findtext("keywords") == "fly-tipping, flytipping, dumped rubbish"
    team = council.team("waste-services").name.get("en")
    assert fly.findtext("group") == team
    assert [g.text for g in fly.findall("groups/group")] == [team]
    body = json_of(client.get(BASE + "services.json"))
    assert isinstance(body, list)
    assert {s["service_code"] for s in body} == STREET_REPORTS
    assert next(s for s in body if s["service_code"] == "fly-tipping")["metadata"] is True


def test_a_service_definition_declares_the_server_set_fixmystreet_id(client, council):
    root = xml_of(client.get(BASE + "services/fly-tipping.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "fly-tipping"
    attributes = root.findall("attributes/attribute")
    fms = next(a for a in attributes if a.findtext("code") == "fixmystreet_id")
    assert fms.findtext("automated") == "server_set"
    assert fms.findtext("variable") == "false"
    assert fms.findtext("datatype") == "string"
    assert fms.findtext("required") == "false"
    orders = [int(a.findtext("order") or 0) for a in attributes]
    assert orders == list(range(1, len(attributes) + 1))
    body = json_of(client.get(BASE + "services/fly-tipping.json"))
    assert body["service_code"] == "fly-tipping"
    assert body["attributes"][-1]["code"] == "fixmystreet_id"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_or_non_street_service_code_is_404(client, council, fmt):
    for code in ("no-such-service", "council-tax-pay"):
        response = client.get(f"{BASE}services/{code}.{fmt}")
        assert response.status_code == 404
    if fmt == "xml":
        assert errors_of(response)[0][0] == "404"
    else:
        assert json_of(response)[0]["code"] == 404


def test_an_unknown_format_suffix_is_404(client, council):
    for path in ("services.html", "services/fly-tipping.csv", "requests.txt", "discovery.yaml"):
        response = client.get(BASE + path)
        assert response.status_code == 404, path
        assert b"We support .xml and .json" in response.content


def test_gets_accept_an_empty_api_key_and_our_jurisdiction(client, council):
    for query in ("api_key=", "api_key=anything", "jurisdiction_id=north-norfolk.gov.uk",
                  "jurisdiction_id="):
        assert client.get(f"{BASE}services.xml?{query}").status_code == 200, query


def test_another_jurisdiction_is_not_found(client, council):
    response = client.get(BASE + "services.xml?jurisdiction_id=sfgov.org")
    assert response.status_code == 404
    assert "jurisdiction_id" in errors_of(response)[0][1]
