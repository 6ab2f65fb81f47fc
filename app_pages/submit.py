"""Submit a return: templates, a validation report before anything is written, the
submission itself with a receipt, and the history of submissions with rollback."""

import streamlit as st

from sharedsvc_app import data, fmt, ui, upload
from sharedsvc_core.contract import KINDS
from sharedsvc_core.realisation import Filters

ui.header(
    "Submit a return",
    "Send a quarterly return (or baselines, targets or survey results) as CSV or Excel. "
    "Nothing is written until the file passes every check and you press Submit.",
)
send, history = st.tabs(["Send a file", "Submission history"])

with send:
    with ui.friendly_errors():
        councils = data.ask("councils_for_submitting", data.scope_key(None, None, Filters()))
    admin = st.toggle(
        "Administrator: load register files (partnerships, members, services)", key="submit_admin"
    )
    order = (
        "returns",
        "baselines",
        "targets",
        "survey",
        "comments",
        "partnerships",
        "members",
        "services",
    )
    kinds = [KINDS[name] for name in order if admin or not KINDS[name].admin_only]
    left, right = st.columns(2)
    kind = KINDS[
        left.selectbox(
            "What are you sending?",
            [k.name for k in kinds],
            key="submit_kind",
            format_func=lambda name: f"{name.capitalize()}: {KINDS[name].summary}",
        )
    ]
    council_codes = list(councils["gss_code"]) if not councils.empty else []
    council_names = dict(
        zip(council_codes, councils["name"] if not councils.empty else [], strict=True)
    )
    council = right.selectbox(
        "Submitting for council",
        council_codes,
        index=None,
        key="submit_council",
        placeholder="Choose your council" if not admin else "Any council (administrator)",
        format_func=lambda gss: f"{council_names.get(gss, gss)} ({gss})",
        help="Rows for any other council will be refused.",
    )
    user = st.text_input(
        "Your name or e-mail address",
        key="submit_user",
        help="Recorded on the receipt as the person who sent the file.",
    )

    st.markdown("**1. Start from the template**")
    templates = st.columns(2)
    templates[0].download_button(
        f"Download the {kind.name} template (CSV)",
        upload.template_csv(kind.name),
        file_name=f"{kind.name}-template.csv",
        mime="text/csv",
        key="template_csv",
    )
    templates[1].download_button(
        f"Download the {kind.name} template (Excel, with guidance)",
        upload.template_xlsx(kind.name),
        file_name=f"{kind.name}-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="template_xlsx",
    )

    st.markdown("**2. Upload your file**")
    uploaded = st.file_uploader(
        "CSV or Excel (.xlsx) file, up to 20 MB", type=["csv", "xlsx"], key="submit_file"
    )
    needs_council = not admin and not kind.admin_only
    if uploaded is not None and needs_council and council is None:
        st.warning("Choose the council you are submitting for, above.")
    elif uploaded is not None:
        content = uploaded.getvalue()
        with ui.friendly_errors():
            report = upload.check(kind.name, content, uploaded.name, council)
        st.markdown("**3. Check the validation report**")
        upload.show_report(report)
        ready = upload.may_submit(report)
        if ready:
            st.markdown("**4. Submit**")
            if not user.strip():
                st.warning("Enter your name or e-mail address above before submitting.")
            if st.button(
                "Submit return", type="primary", key="submit_button", disabled=not user.strip()
            ):
                with ui.friendly_errors():
                    receipt = upload.submit(
                        kind.name, content, uploaded.name, council, user.strip()
                    )
                upload.show_receipt(receipt)

with history:
    upload.rollback_notice()
    upload.history_panel()
    with ui.friendly_errors():
        latest = data.ask("headline", data.scope_key(None, None, Filters()))["figures"]
    if latest:
        st.caption(
            f"Programme figures now: evidenced {fmt.pounds(latest['evidenced'])} of a "
            f"{fmt.pounds(latest['target'])} target ({fmt.percent(latest['realisation_pct'])}"
            f", {fmt.rag(latest['rag'])})."
        )
