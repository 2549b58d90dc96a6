<?xml version="1.0" encoding="UTF-8"?>
<lexicon xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" version="1.0" alphabet="ipa" xml:lang="{{ lang }}">
{% for word, said in words %}
<lexeme>
<grapheme>{{ word }}</grapheme>
<alias>{{ said }}</alias>
</lexeme>
{% endfor %}
</lexicon>
